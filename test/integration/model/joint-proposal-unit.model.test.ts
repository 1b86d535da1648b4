import { describeModel } from '../../support/model/driver.js';
import { jointProposalUnitModel } from '../../support/model/joint-proposal-unit.model.js';

describeModel(jointProposalUnitModel);
