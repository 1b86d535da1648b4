import { describeModel } from '../../support/model/driver.js';
import { jointTaskModel } from '../../support/model/joint-task.model.js';

describeModel(jointTaskModel);
