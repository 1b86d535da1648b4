import { describeModel } from '../../support/model/driver.js';
import { matterModel } from '../../support/model/matter.model.js';

describeModel(matterModel);
